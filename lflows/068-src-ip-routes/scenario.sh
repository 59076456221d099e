# desc: source-IP static routes (--policy=src-ip): per-subnet IPv4 src routes to different nexthops, a /32 src route, an IPv6 src route, beside dst-ip routes (a default route and a specific prefix)
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
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11"
ovn-nbctl lsp-add ext ext-rtr1 -- lsp-set-addresses ext-rtr1 "50:54:00:00:10:01 172.16.0.254 fd10::254"
ovn-nbctl lsp-add ext ext-rtr2 -- lsp-set-addresses ext-rtr2 "50:54:00:00:10:02 172.16.0.253 fd10::253"
ovn-nbctl --policy=src-ip lr-route-add lr0 10.0.0.0/24 172.16.0.254
ovn-nbctl --policy=src-ip lr-route-add lr0 10.0.1.0/24 172.16.0.253
ovn-nbctl --policy=src-ip lr-route-add lr0 10.0.1.11/32 172.16.0.254 lr0-ext
ovn-nbctl --policy=src-ip lr-route-add lr0 fd00::/64 fd10::253
ovn-nbctl lr-route-add lr0 0.0.0.0/0 172.16.0.254
ovn-nbctl lr-route-add lr0 192.168.10.0/24 172.16.0.253
