# desc: bad input: router-type LSPs naming a missing LRP, without router-port, and with "router" addresses but no peer
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-lr-missing -- lsp-set-type sw0-lr-missing router \
  -- lsp-set-addresses sw0-lr-missing 00:00:00:00:ff:01 -- lsp-set-options sw0-lr-missing router-port=lrp-missing
ovn-nbctl lsp-add sw0 sw0-lr-noopt -- lsp-set-type sw0-lr-noopt router -- lsp-set-addresses sw0-lr-noopt 00:00:00:00:ff:02
ovn-nbctl lsp-add sw0 sw0-lr-router -- lsp-set-type sw0-lr-router router -- lsp-set-addresses sw0-lr-router router \
  -- lsp-set-options sw0-lr-router router-port=lrp-missing2
