# desc: gateway router (options:chassis) on a localnet public switch; router-type LSP with nat-addresses=router; SNAT + DNAT_AND_SNAT
ovn-sbctl chassis-add gw1 geneve 127.0.0.1
ovn-sbctl set chassis gw1 other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
  other_config:port-up-notif=true
ovn-nbctl ls-add public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl lr-add gw-router -- set logical_router gw-router options:chassis=gw1
ovn-nbctl lrp-add gw-router gw-public 00:00:20:20:12:13 172.16.0.1/24 fd10::1/64
ovn-nbctl lsp-add public public-gw -- lsp-set-type public-gw router -- lsp-set-addresses public-gw router \
  -- lsp-set-options public-gw router-port=gw-public nat-addresses=router
ovn-nbctl lr-nat-add gw-router snat 172.16.0.100 10.0.0.0/24
ovn-nbctl lr-nat-add gw-router dnat_and_snat 172.16.0.110 10.0.0.11
