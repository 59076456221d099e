# desc: switches with other_config:requested-tnl-key (1000), a later switch requesting the same key (conflict), one without
ovn-nbctl ls-add sw0 -- set logical_switch sw0 other_config:requested-tnl-key=1000
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl ls-add sw1
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11"
ovn-nbctl --wait=sb sync
ovn-nbctl ls-add sw2 -- set logical_switch sw2 other_config:requested-tnl-key=1000
