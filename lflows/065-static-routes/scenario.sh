# desc: static routes on distributed router lr0 (sw0 10.0.0.0/24+fd00::/64, transit switch ext 172.16.0.0/24+fd10::/64 with two "external router" VIFs): IPv4/IPv6 routes via nexthops, IPv4/IPv6 default routes, a route with output_port, a /32 host route, a route via a nexthop on sw0, a discard route
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add ext
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
ovn-nbctl lrp-add lr0 lr0-ext 00:00:00:00:ff:02 172.16.0.1/24 fd10::1/64
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add ext ext-lr0 -- lsp-set-type ext-lr0 router -- lsp-set-addresses ext-lr0 router \
  -- lsp-set-options ext-lr0 router-port=lr0-ext
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-rtr -- lsp-set-addresses sw0-rtr "50:54:00:00:00:fe 10.0.0.254"
ovn-nbctl lsp-add ext ext-rtr1 -- lsp-set-addresses ext-rtr1 "50:54:00:00:10:01 172.16.0.254 fd10::254"
ovn-nbctl lsp-add ext ext-rtr2 -- lsp-set-addresses ext-rtr2 "50:54:00:00:10:02 172.16.0.253 fd10::253"
ovn-nbctl lr-route-add lr0 192.168.10.0/24 172.16.0.254
ovn-nbctl lr-route-add lr0 192.168.20.0/24 172.16.0.253 lr0-ext
ovn-nbctl lr-route-add lr0 192.168.30.5/32 172.16.0.253
ovn-nbctl lr-route-add lr0 10.10.0.0/16 10.0.0.254
ovn-nbctl lr-route-add lr0 192.168.99.0/24 discard
ovn-nbctl lr-route-add lr0 0.0.0.0/0 172.16.0.254
ovn-nbctl lr-route-add lr0 fd20::/64 fd10::253
ovn-nbctl lr-route-add lr0 fd30::/48 fd10::254 lr0-ext
ovn-nbctl lr-route-add lr0 ::/0 fd10::254
