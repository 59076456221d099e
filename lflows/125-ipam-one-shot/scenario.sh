# desc: IPAM allocation in one transaction (the reference assigns every dynamic address in one run, in its datapath and port order): the 121 ports created at once, before any address exists (subnet with exclude_ips, router port on the subnet, static ports, "MAC dynamic", "dynamic IP", "dynamic IPv6", two dynamic entries, mac_only, EUI-64, bad prefix)
ovn-nbctl ls-add sw0 -- set logical_switch sw0 other_config:subnet=10.1.0.0/24 \
  other_config:exclude_ips="10.1.0.1..10.1.0.10 10.1.0.20 10.1.0.240..10.1.1.20 192.168.0.1" \
  other_config:ipv6_prefix=fd00:1::/64 \
  -- ls-add sw1 -- set logical_switch sw1 other_config:mac_only=true \
  -- ls-add sw2 -- set logical_switch sw2 other_config:ipv6_prefix=fd00:2:: \
  -- ls-add sw3 -- set logical_switch sw3 other_config:ipv6_prefix=fd00:3::/48 \
  -- lr-add lr0 -- lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.1.0.11/24 fd00:1::1/64 \
  -- lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0 \
  -- lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 dynamic \
  -- lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "0a:00:00:00:00:99 dynamic" \
  -- lsp-add sw0 sw0-s1 -- lsp-set-addresses sw0-s1 "50:54:00:00:00:14 10.1.0.14" \
  -- lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 dynamic \
  -- lsp-add sw0 sw0-p4 -- lsp-set-addresses sw0-p4 "dynamic 10.1.0.50" \
  -- lsp-add sw0 sw0-p5 -- lsp-set-addresses sw0-p5 "dynamic fd00:1::55" \
  -- lsp-add sw0 sw0-p6 -- lsp-set-addresses sw0-p6 "50:54:00:00:00:66 dynamic" \
  -- lsp-add sw0 sw0-p7 -- set logical_switch_port sw0-p7 addresses='["dynamic", "0a:00:00:00:00:77 dynamic"]' \
  -- lsp-add sw0 sw0-s2 -- lsp-set-addresses sw0-s2 "50:54:00:00:00:88 10.1.0.15" \
  -- lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 dynamic \
  -- lsp-add sw1 sw1-p2 -- lsp-set-addresses sw1-p2 "50:54:00:00:01:02 dynamic" \
  -- lsp-add sw2 sw2-p1 -- lsp-set-addresses sw2-p1 dynamic \
  -- lsp-add sw2 sw2-p2 -- lsp-set-addresses sw2-p2 "50:54:00:00:02:02 dynamic" \
  -- lsp-add sw2 sw2-p3 -- lsp-set-addresses sw2-p3 "dynamic fd00:2::33" \
  -- lsp-add sw3 sw3-p1 -- lsp-set-addresses sw3-p1 dynamic
ovn-nbctl --wait=sb sync
