# desc: logical router policies on lr0: allow (one with options:pkt_mark), drop, reroute to one nexthop, ECMP reroute to two nexthops, an IPv6 reroute; priorities 2000 down to 100
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl --wait=sb ls-add ext
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
ovn-nbctl lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 10.0.1.1/24
ovn-nbctl lrp-add lr0 lr0-ext 00:00:00:00:ff:03 172.16.0.1/24 fd10::1/64
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router \
  -- lsp-set-options sw1-lr0 router-port=lr0-sw1
ovn-nbctl lsp-add ext ext-lr0 -- lsp-set-type ext-lr0 router -- lsp-set-addresses ext-lr0 router \
  -- lsp-set-options ext-lr0 router-port=lr0-ext
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11"
ovn-nbctl lsp-add ext ext-rtr1 -- lsp-set-addresses ext-rtr1 "50:54:00:00:10:01 172.16.0.254 fd10::254"
ovn-nbctl lsp-add ext ext-rtr2 -- lsp-set-addresses ext-rtr2 "50:54:00:00:10:02 172.16.0.253 fd10::253"
ovn-nbctl lr-policy-add lr0 2000 "ip4.src == 10.0.0.0/24 && ip4.dst == 10.0.1.0/24" allow
ovn-nbctl lr-policy-add lr0 1500 "ip4.dst == 192.168.100.0/24" drop
ovn-nbctl lr-policy-add lr0 1200 "ip4.src == 10.0.0.12 && tcp.dst == 80" allow pkt_mark=100
ovn-nbctl lr-policy-add lr0 1000 "ip4.src == 10.0.0.11" reroute 172.16.0.254
ovn-nbctl lr-policy-add lr0 900 "ip4.src == 10.0.1.0/24" reroute 172.16.0.253,172.16.0.254
ovn-nbctl lr-policy-add lr0 800 "ip6.src == fd00::/64" reroute fd10::253
ovn-nbctl lr-policy-add lr0 100 "ip4.dst == 10.0.0.0/8" drop
