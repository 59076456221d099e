# desc: localnet port without tag (network_name=physnet1, addresses unknown) and two VIFs
ovn-nbctl ls-add public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl lsp-add public vm1 -- lsp-set-addresses vm1 "50:54:00:00:00:01 172.16.0.11"
ovn-nbctl lsp-add public vm2 -- lsp-set-addresses vm2 "50:54:00:00:00:02 172.16.0.12" -- lsp-set-port-security vm2 "50:54:00:00:00:02 172.16.0.12"
