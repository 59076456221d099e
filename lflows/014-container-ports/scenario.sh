# desc: container ports (parent_name/tag_request): children on another switch and on the parent's switch, tag 0 = northd allocates
ovn-nbctl ls-add sw0
ovn-nbctl ls-add sw1
ovn-nbctl lsp-add sw0 vm1 -- lsp-set-addresses vm1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw1 c1 vm1 10 -- lsp-set-addresses c1 "0a:00:00:00:01:0a 10.1.0.10"
ovn-nbctl lsp-add sw1 c2 vm1 20 -- lsp-set-addresses c2 "0a:00:00:00:01:14 10.1.0.20" -- lsp-set-port-security c2 "0a:00:00:00:01:14 10.1.0.20"
ovn-nbctl --wait=sb lsp-add sw0 c3 vm1 0 -- lsp-set-addresses c3 "0a:00:00:00:00:1e 10.0.0.30"
ovn-nbctl --wait=sb lsp-add sw0 c4 vm1 0 -- lsp-set-addresses c4 "0a:00:00:00:00:28 10.0.0.40"
