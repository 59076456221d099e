# desc: LRPs with small prefixes: 10.0.0.0/31 (VIF 10.0.0.1), a /32 (192.168.0.1/32, VIF reached via a /32 route with output_port), an IPv6 /127 (fd00::/127), and an IPv6 link-local-only port (fe80::1/64) with a route via a link-local nexthop
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl --wait=sb ls-add sw2
ovn-nbctl --wait=sb ls-add sw3
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.0/31
ovn-nbctl lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 192.168.0.1/32
ovn-nbctl lrp-add lr0 lr0-sw2 00:00:00:00:ff:03 fd00::/127
ovn-nbctl lrp-add lr0 lr0-sw3 00:00:00:00:ff:04 fe80::1/64
for s in 0 1 2 3; do
  ovn-nbctl lsp-add sw$s sw$s-lr0 -- lsp-set-type sw$s-lr0 router -- lsp-set-addresses sw$s-lr0 router \
    -- lsp-set-options sw$s-lr0 router-port=lr0-sw$s
done
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.1"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 192.168.0.2"
ovn-nbctl lsp-add sw2 sw2-p1 -- lsp-set-addresses sw2-p1 "50:54:00:00:02:01 fd00::1"
ovn-nbctl lsp-add sw3 sw3-p1 -- lsp-set-addresses sw3-p1 "50:54:00:00:03:01 fe80::2"
ovn-nbctl lr-route-add lr0 192.168.0.2/32 192.168.0.2 lr0-sw1
ovn-nbctl lr-route-add lr0 fd99::/64 fe80::2 lr0-sw3
ovn-nbctl lr-route-add lr0 0.0.0.0/0 10.0.0.1
