# desc: two distributed routers peered directly LRP<->LRP (lrp-add ... peer=) over a dual-stack /30 + /126 link, each with a switch and a VIF; static routes to the far subnet via the peer
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl --wait=sb lr-add lr1
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
ovn-nbctl lrp-add lr1 lr1-sw1 00:00:00:00:fe:01 10.0.1.1/24 fd00:0:0:1::1/64
ovn-nbctl lrp-add lr0 lr0-lr1 00:00:00:00:ff:10 169.254.0.1/30 fd0f::1/126 peer=lr1-lr0
ovn-nbctl lrp-add lr1 lr1-lr0 00:00:00:00:fe:10 169.254.0.2/30 fd0f::2/126 peer=lr0-lr1
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add sw1 sw1-lr1 -- lsp-set-type sw1-lr1 router -- lsp-set-addresses sw1-lr1 router \
  -- lsp-set-options sw1-lr1 router-port=lr1-sw1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11 fd00:0:0:1::11"
ovn-nbctl lr-route-add lr0 10.0.1.0/24 169.254.0.2
ovn-nbctl lr-route-add lr0 fd00:0:0:1::/64 fd0f::2
ovn-nbctl lr-route-add lr1 10.0.0.0/24 169.254.0.1
ovn-nbctl lr-route-add lr1 fd00::/64 fd0f::1
