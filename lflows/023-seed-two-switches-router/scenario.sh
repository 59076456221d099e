# desc: seed 001 final topology: ls1 (2 ports) and ls2 (1 port) joined by lr1, ports bound to node1/node2 (ls2-lr1 MAC differs from its LRP, as in the seed)
ovn-sbctl chassis-add node1 geneve 10.0.12.7
ovn-sbctl chassis-add node2 geneve 10.0.12.11
for c in node1 node2; do
  ovn-sbctl set chassis $c other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
    other_config:port-up-notif=true
done
ovn-nbctl ls-add ls1
ovn-nbctl lsp-add ls1 ls1-node1-ns1 -- lsp-set-addresses ls1-node1-ns1 "00:00:00:00:00:01 192.168.1.10" \
  -- lsp-set-port-security ls1-node1-ns1 00:00:00:00:00:01
ovn-nbctl lsp-add ls1 ls1-node2-ns1 -- lsp-set-addresses ls1-node2-ns1 "00:00:00:00:00:02 192.168.1.20" \
  -- lsp-set-port-security ls1-node2-ns1 00:00:00:00:00:02
ovn-nbctl ls-add ls2
ovn-nbctl lsp-add ls2 ls2-node2-ns2 -- lsp-set-addresses ls2-node2-ns2 "00:00:00:00:00:03 192.168.2.30" \
  -- lsp-set-port-security ls2-node2-ns2 00:00:00:00:00:03
ovn-nbctl lr-add lr1
ovn-nbctl lrp-add lr1 lr1-ls1 00:00:00:00:11:00 192.168.1.1/24
ovn-nbctl lrp-add lr1 lr1-ls2 12:00:00:00:12:00 192.168.2.1/24
ovn-nbctl lsp-add ls1 ls1-lr1 -- lsp-set-type ls1-lr1 router -- lsp-set-addresses ls1-lr1 00:00:00:00:11:00 \
  -- lsp-set-options ls1-lr1 router-port=lr1-ls1
ovn-nbctl lsp-add ls2 ls2-lr1 -- lsp-set-type ls2-lr1 router -- lsp-set-addresses ls2-lr1 00:00:00:00:12:00 \
  -- lsp-set-options ls2-lr1 router-port=lr1-ls2
ovn-nbctl --wait=sb sync
ovn-sbctl lsp-bind ls1-node1-ns1 node1 -- lsp-bind ls1-node2-ns1 node2 -- lsp-bind ls2-node2-ns2 node2
ovn-sbctl set port_binding ls1-node1-ns1 up=true -- set port_binding ls1-node2-ns1 up=true \
  -- set port_binding ls2-node2-ns2 up=true
