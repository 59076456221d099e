# desc: bad input: malformed IPv4/IPv6 in addresses and port_security, trailing garbage, bad subnet/exclude_ips for IPAM
ovn-nbctl ls-add sw0 -- set logical_switch sw0 other_config:subnet=10.9.0.0/33 other_config:exclude_ips="10.9.0.zz"
ovn-nbctl lsp-add sw0 sw0-p1 -- set logical_switch_port sw0-p1 addresses='"50:54:00:00:00:01 10.0.0.300"'
ovn-nbctl lsp-add sw0 sw0-p2 -- set logical_switch_port sw0-p2 addresses='"50:54:00:00:00:02 10.0.0"'
ovn-nbctl lsp-add sw0 sw0-p3 -- set logical_switch_port sw0-p3 addresses='"50:54:00:00:00:03 fd00:::3"'
ovn-nbctl lsp-add sw0 sw0-p4 -- set logical_switch_port sw0-p4 addresses='"50:54:00:00:00:04 10.0.0.14 garbage"'
ovn-nbctl lsp-add sw0 sw0-p5 -- set logical_switch_port sw0-p5 addresses='"50:54:00:00:00:05 10.0.0.15"' \
  port_security='"50:54:00:00:00:05 10.0.0.999"'
ovn-nbctl lsp-add sw0 sw0-p6 -- set logical_switch_port sw0-p6 addresses='"50:54:00:00:00:06 10.0.0.16"' \
  port_security='"50:54:00:00:00:06 fd00::16/129"'
ovn-nbctl lsp-add sw0 sw0-p7 -- lsp-set-addresses sw0-p7 dynamic
ovn-nbctl lsp-add sw0 sw0-p8 -- lsp-set-addresses sw0-p8 "50:54:00:00:00:08 10.0.0.18"
