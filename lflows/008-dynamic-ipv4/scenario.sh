# desc: IPAM: "dynamic", "MAC dynamic", "dynamic IP" with other_config subnet and exclude_ips; a static IP in the subnet
ovn-nbctl ls-add sw0 -- set logical_switch sw0 other_config:subnet=10.1.0.0/24 \
  other_config:exclude_ips="10.1.0.1..10.1.0.10 10.1.0.20"
# one port per transaction, waiting each time, so the allocation order is fixed
ovn-nbctl --wait=sb lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 dynamic
ovn-nbctl --wait=sb lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:01:02 dynamic"
ovn-nbctl --wait=sb lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "dynamic 10.1.0.50"
ovn-nbctl --wait=sb lsp-add sw0 sw0-p4 -- lsp-set-addresses sw0-p4 "50:54:00:00:01:04 10.1.0.13"
ovn-nbctl --wait=sb lsp-add sw0 sw0-p5 -- lsp-set-addresses sw0-p5 dynamic
ovn-nbctl --wait=sb lsp-add sw0 sw0-p6 -- lsp-set-addresses sw0-p6 dynamic
