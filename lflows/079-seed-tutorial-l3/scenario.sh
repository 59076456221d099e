# desc: seed 001 tutorial replayed command by command (one ovn-nbctl call per article command, article order): ls1 with MAC-only ports bound to node1/node2, ls2, lr1 (lr1-ls2 MAC 12:00:00:00:12:00 vs ls2-lr1 00:00:00:00:12:00), then "MAC IP" addresses on the VIFs and, as the article's last `ovn-nbctl show` lists, on the router-type LSPs
ovn-sbctl chassis-add node1 geneve 10.0.12.7
ovn-sbctl chassis-add node2 geneve 10.0.12.11
for c in node1 node2; do
  ovn-sbctl set chassis $c other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
    other_config:port-up-notif=true
done
# logical switch ls1 across both nodes
ovn-nbctl --wait=sb ls-add ls1
ovn-nbctl lsp-add ls1 ls1-node1-ns1
ovn-nbctl lsp-set-addresses ls1-node1-ns1 00:00:00:00:00:01
ovn-nbctl lsp-set-port-security ls1-node1-ns1 00:00:00:00:00:01
ovn-nbctl lsp-add ls1 ls1-node2-ns1
ovn-nbctl lsp-set-addresses ls1-node2-ns1 00:00:00:00:00:02
ovn-nbctl lsp-set-port-security ls1-node2-ns1 00:00:00:00:00:02
# ovs-vsctl set interface veth11 external-ids:iface-id=... on node1/node2
ovn-nbctl --wait=sb sync
ovn-sbctl lsp-bind ls1-node1-ns1 node1
ovn-sbctl lsp-bind ls1-node2-ns1 node2
ovn-sbctl set port_binding ls1-node1-ns1 up=true -- set port_binding ls1-node2-ns1 up=true
# second switch ls2 with ns2 on node2
ovn-nbctl --wait=sb ls-add ls2
ovn-nbctl lsp-add ls2 ls2-node2-ns2
ovn-nbctl lsp-set-addresses ls2-node2-ns2 00:00:00:00:00:03
ovn-nbctl lsp-set-port-security ls2-node2-ns2 00:00:00:00:00:03
ovn-nbctl --wait=sb sync
ovn-sbctl lsp-bind ls2-node2-ns2 node2
ovn-sbctl set port_binding ls2-node2-ns2 up=true
# logical router lr1 between ls1 and ls2
ovn-nbctl --wait=sb lr-add lr1
ovn-nbctl lrp-add lr1 lr1-ls1 00:00:00:00:11:00 192.168.1.1/24
ovn-nbctl lrp-add lr1 lr1-ls2 12:00:00:00:12:00 192.168.2.1/24
ovn-nbctl lsp-add ls1 ls1-lr1
ovn-nbctl lsp-set-type ls1-lr1 router
ovn-nbctl lsp-set-addresses ls1-lr1 00:00:00:00:11:00
ovn-nbctl lsp-set-options ls1-lr1 router-port=lr1-ls1
ovn-nbctl lsp-add ls2 ls2-lr1
ovn-nbctl lsp-set-type ls2-lr1 router
ovn-nbctl lsp-set-addresses ls2-lr1 00:00:00:00:12:00
ovn-nbctl lsp-set-options ls2-lr1 router-port=lr1-ls2
# L3 addresses on the VIFs
ovn-nbctl lsp-set-addresses ls1-node1-ns1 "00:00:00:00:00:01 192.168.1.10"
ovn-nbctl lsp-set-addresses ls1-node2-ns1 "00:00:00:00:00:02 192.168.1.20"
ovn-nbctl lsp-set-addresses ls2-node2-ns2 "00:00:00:00:00:03 192.168.2.30"
# not among the article's commands, but its final `ovn-nbctl show` has these addresses on the router-type LSPs
ovn-nbctl lsp-set-addresses ls1-lr1 "00:00:00:00:11:00 192.168.1.1"
ovn-nbctl lsp-set-addresses ls2-lr1 "00:00:00:00:12:00 192.168.2.1"
