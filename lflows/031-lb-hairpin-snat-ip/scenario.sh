# desc: switch LBs with options:hairpin_snat_ip (v4+v6) and one without
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12"
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 10.0.0.13 fd00::13"
ovn-nbctl lb-add lb0 10.0.0.100:80 10.0.0.11:80,10.0.0.12:80 tcp
ovn-nbctl lb-add lb0-6 [fd00::100]:80 [fd00::11]:80,[fd00::12]:80 tcp
ovn-nbctl set load_balancer lb0 options:hairpin_snat_ip="169.254.0.5 fd69::5"
ovn-nbctl set load_balancer lb0-6 options:hairpin_snat_ip="169.254.0.5 fd69::5"
ovn-nbctl lb-add lb1 10.0.0.101:80 10.0.0.13:80 tcp
ovn-nbctl ls-lb-add sw0 lb0 -- ls-lb-add sw0 lb0-6 -- ls-lb-add sw0 lb1
