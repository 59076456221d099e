# desc: localport (OpenStack metadata port style) next to two VIFs
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "fa:16:3e:00:00:11 10.0.0.11" -- lsp-set-port-security sw0-p1 "fa:16:3e:00:00:11 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "fa:16:3e:00:00:12 10.0.0.12"
ovn-nbctl lsp-add sw0 sw0-meta -- lsp-set-type sw0-meta localport -- lsp-set-addresses sw0-meta "fa:16:3e:00:00:02 10.0.0.2"
