# desc: ports with options:requested-tnl-key (100, 200), two ports requesting the same key (conflict), one without
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11" -- lsp-set-options sw0-p1 requested-tnl-key=100
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12" -- lsp-set-options sw0-p2 requested-tnl-key=200
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 10.0.0.13"
ovn-nbctl --wait=sb sync
ovn-nbctl lsp-add sw0 sw0-p4 -- lsp-set-addresses sw0-p4 "50:54:00:00:00:04 10.0.0.14" -- lsp-set-options sw0-p4 requested-tnl-key=200
