# desc: localnet ports with VLAN tags (tag_request 100 and 200) on two switches, one without addresses
ovn-nbctl ls-add ext100 -- ls-add ext200
ovn-nbctl lsp-add ext100 ln-100 -- lsp-set-type ln-100 localnet -- lsp-set-addresses ln-100 unknown \
  -- lsp-set-options ln-100 network_name=physnet1 -- set logical_switch_port ln-100 tag_request=100
ovn-nbctl lsp-add ext100 vm1 -- lsp-set-addresses vm1 "50:54:00:00:00:01 172.16.100.11"
ovn-nbctl lsp-add ext200 ln-200 -- lsp-set-type ln-200 localnet \
  -- lsp-set-options ln-200 network_name=physnet1 -- set logical_switch_port ln-200 tag_request=200
ovn-nbctl lsp-add ext200 vm2 -- lsp-set-addresses vm2 "50:54:00:00:00:02 172.16.200.12"
