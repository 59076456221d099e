# desc: ACLs on switches and port groups spanning switches: identical ACLs in two groups and on a switch, allow-related / allow / allow-stateless / drop / reject (one switch with a CoPP reject meter), a logged ACL with a fair meter
ovn-nbctl ls-add sw0 -- ls-add sw1 -- ls-add sw2
for p in 1 2 3; do ovn-nbctl lsp-add sw0 sw0-p$p -- lsp-set-addresses sw0-p$p "50:54:00:00:00:0$p 10.0.0.1$p"; done
for p in 4 5; do ovn-nbctl lsp-add sw1 sw1-p$p -- lsp-set-addresses sw1-p$p "50:54:00:00:00:0$p 10.0.1.1$p"; done
ovn-nbctl lsp-add sw2 sw2-p6 -- lsp-set-addresses sw2-p6 "50:54:00:00:00:06 10.0.2.16"
ovn-nbctl meter-add meter-rej drop 10 pktps
ovn-nbctl --fair meter-add meter-log drop 5 pktps
ovn-nbctl copp-add copp-sw1 reject meter-rej -- ls-copp-add copp-sw1 sw1
ovn-nbctl pg-add pg1 sw0-p1 sw1-p4
ovn-nbctl pg-add pg2 sw0-p2 sw1-p5
ovn-nbctl pg-add pg3 sw2-p6
ovn-nbctl --type=port-group acl-add pg1 from-lport 1001 "inport == @pg1 && ip4" allow-related
ovn-nbctl --type=port-group acl-add pg2 from-lport 1001 "inport == @pg1 && ip4" allow-related
ovn-nbctl --type=switch acl-add sw0 to-lport 1002 "ip4.dst == 10.0.0.11" drop
ovn-nbctl --type=port-group acl-add pg2 to-lport 1002 "ip4.dst == 10.0.0.11" drop
ovn-nbctl --type=port-group acl-add pg1 to-lport 900 "tcp.dst == 23" reject
ovn-nbctl --type=port-group acl-add pg1 from-lport 1100 "arp" allow-stateless
ovn-nbctl --type=port-group --log --meter=meter-log --name=log1 --severity=warning acl-add pg2 to-lport 1003 "udp" allow
ovn-nbctl --type=port-group acl-add pg3 from-lport 1000 "ip4" allow
ovn-nbctl --type=port-group acl-add pg3 from-lport 1100 "arp" allow-stateless
ovn-nbctl --type=port-group acl-add pg3 to-lport 950 "tcp.dst == 22" reject
