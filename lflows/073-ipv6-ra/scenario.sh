# desc: IPv6 RA on lr0: lr0-sw0 address_mode=slaac, send_periodic=true (max/min_interval), mtu=1450, two IPv6 prefixes, router_preference=HIGH, route_info, rdnss, dnssl; lr0-sw1 address_mode=dhcpv6_stateful; lr0-sw2 dhcpv6_stateless with send_periodic unset
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl --wait=sb ls-add sw2
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 fd00::1/64 fd00:0:0:100::1/64 10.0.0.1/24
ovn-nbctl lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 fd00:0:0:1::1/64
ovn-nbctl lrp-add lr0 lr0-sw2 00:00:00:00:ff:03 fd00:0:0:2::1/64
ovn-nbctl set logical_router_port lr0-sw0 ipv6_ra_configs:address_mode=slaac \
  ipv6_ra_configs:send_periodic=true ipv6_ra_configs:max_interval=300 ipv6_ra_configs:min_interval=100 \
  ipv6_ra_configs:mtu=1450 ipv6_ra_configs:router_preference=HIGH \
  'ipv6_ra_configs:route_info="HIGH-fd99::/48,LOW-fd98::/64"' ipv6_ra_configs:rdnss=fd00::53 \
  'ipv6_ra_configs:dnssl="example.com,corp.example.com"'
ovn-nbctl set logical_router_port lr0-sw1 ipv6_ra_configs:address_mode=dhcpv6_stateful \
  ipv6_ra_configs:send_periodic=true
ovn-nbctl set logical_router_port lr0-sw2 ipv6_ra_configs:address_mode=dhcpv6_stateless
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router \
  -- lsp-set-options sw1-lr0 router-port=lr0-sw1
ovn-nbctl lsp-add sw2 sw2-lr0 -- lsp-set-type sw2-lr0 router -- lsp-set-addresses sw2-lr0 router \
  -- lsp-set-options sw2-lr0 router-port=lr0-sw2
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 fd00::5254:ff:fe00:1"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 fd00:0:0:1::11"
ovn-nbctl lsp-add sw2 sw2-p1 -- lsp-set-addresses sw2-p1 "50:54:00:00:02:01"
