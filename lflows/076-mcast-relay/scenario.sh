# desc: multicast relay: lr0 options:mcast_relay=true between sw0 (mcast_snoop, querier with mcast_eth_src/mcast_ip4_src, mcast_flood_unregistered) and sw1 (mcast_snoop, querier off); LRP lr0-sw1 with options:mcast_flood=true; a VIF with mcast_flood_reports; dual-stack
ovn-nbctl --wait=sb ls-add sw0 -- set logical_switch sw0 other_config:mcast_snoop=true other_config:mcast_querier=true \
  other_config:mcast_eth_src=00:00:00:00:ee:01 other_config:mcast_ip4_src=10.0.0.254 \
  other_config:mcast_ip6_src=fe80::fe other_config:mcast_flood_unregistered=true
ovn-nbctl --wait=sb ls-add sw1 -- set logical_switch sw1 other_config:mcast_snoop=true other_config:mcast_querier=false
ovn-nbctl --wait=sb lr-add lr0 -- set logical_router lr0 options:mcast_relay=true
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
ovn-nbctl lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 10.0.1.1/24 fd00:0:0:1::1/64 -- lrp-set-options lr0-sw1 mcast_flood=true
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router \
  -- lsp-set-options sw1-lr0 router-port=lr0-sw1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12" \
  -- lsp-set-options sw0-p2 mcast_flood_reports=true
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11 fd00:0:0:1::11"
