# desc: IPAM: dual-stack switch (subnet + ipv6_prefix) and IPv6-only switch (ipv6_prefix, "MAC dynamic")
ovn-nbctl ls-add sw0 -- set logical_switch sw0 other_config:subnet=10.2.0.0/24 other_config:ipv6_prefix=fd00:2::
ovn-nbctl --wait=sb lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 dynamic
ovn-nbctl --wait=sb lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:02:02 dynamic"
ovn-nbctl ls-add sw1 -- set logical_switch sw1 other_config:ipv6_prefix=fd00:3::
ovn-nbctl --wait=sb lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:03:01 dynamic"
ovn-nbctl --wait=sb lsp-add sw1 sw1-p2 -- lsp-set-addresses sw1-p2 "50:54:00:00:03:02 dynamic"
