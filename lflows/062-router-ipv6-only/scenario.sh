# desc: IPv6-only distributed router lr0 joining sw0 (fd00:0::/64) and sw1 (fd00:1::/64); IPv6-only VIFs (one with two addresses), "router" addresses on the router-type LSPs
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 fd00::1/64
ovn-nbctl lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 fd00:0:0:1::1/64
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router \
  -- lsp-set-options sw1-lr0 router-port=lr0-sw1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 fd00::12 fd00::13"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 fd00:0:0:1::11"
