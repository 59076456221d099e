# desc: bad input: malformed MACs in addresses and port_security (written with `set`, which does not validate)
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- set logical_switch_port sw0-p1 addresses='"00:00:00:00:00:zz 10.0.0.11"'
ovn-nbctl lsp-add sw0 sw0-p2 -- set logical_switch_port sw0-p2 addresses='"zz"'
ovn-nbctl lsp-add sw0 sw0-p3 -- set logical_switch_port sw0-p3 addresses='"50:54:00:00:00:03 10.0.0.13"' \
  port_security='"50:54:00:00:00:zz 10.0.0.13"'
ovn-nbctl lsp-add sw0 sw0-p4 -- set logical_switch_port sw0-p4 addresses='"50:54:00:00:00:04"' port_security='"not-a-mac"'
ovn-nbctl lsp-add sw0 sw0-p5 -- set logical_switch_port sw0-p5 addresses='"50:54:00:00:00:05:06 10.0.0.15"'
ovn-nbctl lsp-add sw0 sw0-p6 -- lsp-set-addresses sw0-p6 "50:54:00:00:00:06 10.0.0.16"
