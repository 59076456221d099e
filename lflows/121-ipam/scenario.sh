# desc: IPAM: dual-stack sw0 (subnet with exclude_ips ranges, one clamped at the subnet end and one outside it, ipv6_prefix /64) with a router port holding the next free IP, "dynamic", "MAC dynamic" (MAC in and out of mac_prefix), "dynamic IPv4", "dynamic IPv6", two dynamic entries on one port, static ports taking the next dynamic IP and stealing an assigned one; mac_only switch; IPv6-only switch (EUI-64); switch with a bad /48 ipv6_prefix
ovn-nbctl ls-add sw0 -- set logical_switch sw0 other_config:subnet=10.1.0.0/24 \
  other_config:exclude_ips="10.1.0.1..10.1.0.10 10.1.0.20 10.1.0.240..10.1.1.20 192.168.0.1" \
  other_config:ipv6_prefix=fd00:1::/64
ovn-nbctl ls-add sw1 -- set logical_switch sw1 other_config:mac_only=true
ovn-nbctl ls-add sw2 -- set logical_switch sw2 other_config:ipv6_prefix=fd00:2::
ovn-nbctl ls-add sw3 -- set logical_switch sw3 other_config:ipv6_prefix=fd00:3::/48
# router port on sw0 holding 10.1.0.11, the first address IPAM would otherwise hand out
ovn-nbctl lr-add lr0 -- lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.1.0.11/24 fd00:1::1/64
ovn-nbctl --wait=sb lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
# one port per transaction, waiting each time, so the allocation order is fixed
ovn-nbctl --wait=sb lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 dynamic
ovn-nbctl --wait=sb lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "0a:00:00:00:00:99 dynamic"
# static address equal to the next free one
ovn-nbctl --wait=sb lsp-add sw0 sw0-s1 -- lsp-set-addresses sw0-s1 "50:54:00:00:00:14 10.1.0.14"
ovn-nbctl --wait=sb lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 dynamic
ovn-nbctl --wait=sb lsp-add sw0 sw0-p4 -- lsp-set-addresses sw0-p4 "dynamic 10.1.0.50"
ovn-nbctl --wait=sb lsp-add sw0 sw0-p5 -- lsp-set-addresses sw0-p5 "dynamic fd00:1::55"
ovn-nbctl --wait=sb lsp-add sw0 sw0-p6 -- lsp-set-addresses sw0-p6 "50:54:00:00:00:66 dynamic"
ovn-nbctl --wait=sb lsp-add sw0 sw0-p7 \
  -- set logical_switch_port sw0-p7 addresses='["dynamic", "0a:00:00:00:00:77 dynamic"]'
# a static port taking sw0-p3's already assigned dynamic IP: sw0-p3 gets a new one
p3ip=$(ovn-nbctl get logical_switch_port sw0-p3 dynamic_addresses | tr -d '"' | cut -d' ' -f2)
[ "$p3ip" = 10.1.0.15 ]
# (lsp-set-addresses refuses an IP that is some port's dynamic address; a CMS writing the
# column directly is not stopped)
ovn-nbctl --wait=sb lsp-add sw0 sw0-s2 -- set logical_switch_port sw0-s2 addresses="\"50:54:00:00:00:88 $p3ip\""
# mac_only switch: MACs only
ovn-nbctl --wait=sb lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 dynamic
ovn-nbctl --wait=sb lsp-add sw1 sw1-p2 -- lsp-set-addresses sw1-p2 "50:54:00:00:01:02 dynamic"
# IPv6-only switch: EUI-64 addresses from the (dynamic or given) MAC
ovn-nbctl --wait=sb lsp-add sw2 sw2-p1 -- lsp-set-addresses sw2-p1 dynamic
ovn-nbctl --wait=sb lsp-add sw2 sw2-p2 -- lsp-set-addresses sw2-p2 "50:54:00:00:02:02 dynamic"
ovn-nbctl --wait=sb lsp-add sw2 sw2-p3 -- lsp-set-addresses sw2-p3 "dynamic fd00:2::33"
# bad ipv6_prefix: nothing is assigned
ovn-nbctl --wait=sb lsp-add sw3 sw3-p1 -- lsp-set-addresses sw3-p1 dynamic
