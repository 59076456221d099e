# desc: switch with one VIF port, addresses MAC only
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 50:54:00:00:00:01
