# desc: seed 001: ls1 spanning two chassis (node1, node2), ls1-node1-ns1/ls1-node2-ns1 with MAC IP and MAC port security, bound and up
ovn-sbctl chassis-add node1 geneve 10.0.12.7
ovn-sbctl chassis-add node2 geneve 10.0.12.11
for c in node1 node2; do
  ovn-sbctl set chassis $c other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
    other_config:port-up-notif=true
done
ovn-nbctl ls-add ls1
ovn-nbctl lsp-add ls1 ls1-node1-ns1
ovn-nbctl lsp-set-addresses ls1-node1-ns1 00:00:00:00:00:01
ovn-nbctl lsp-set-port-security ls1-node1-ns1 00:00:00:00:00:01
ovn-nbctl lsp-add ls1 ls1-node2-ns1
ovn-nbctl lsp-set-addresses ls1-node2-ns1 00:00:00:00:00:02
ovn-nbctl lsp-set-port-security ls1-node2-ns1 00:00:00:00:00:02
ovn-nbctl lsp-set-addresses ls1-node1-ns1 "00:00:00:00:00:01 192.168.1.10"
ovn-nbctl lsp-set-addresses ls1-node2-ns1 "00:00:00:00:00:02 192.168.1.20"
ovn-nbctl --wait=sb sync
# what ovn-controller on each node does when the VIF appears (iface-id) and its flows are installed
ovn-sbctl lsp-bind ls1-node1-ns1 node1
ovn-sbctl lsp-bind ls1-node2-ns1 node2
ovn-sbctl set port_binding ls1-node1-ns1 up=true -- set port_binding ls1-node2-ns1 up=true
