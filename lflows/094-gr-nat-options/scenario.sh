# desc: gateway router NAT options and rejected rules: stateless dnat_and_snat, snat with external_port_range, dnat with dnat_force_snat_ip, and rules northd refuses (external_ip a network, dnat to a network, both allowed and exempted external IPs, a gateway_port on a gateway router)
ovn-sbctl chassis-add gw1 geneve 127.0.0.1
ovn-sbctl set chassis gw1 other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
  other_config:port-up-notif=true
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add public
ovn-nbctl --wait=sb lr-add gr0 -- set logical_router gr0 options:chassis=gw1
ovn-nbctl lrp-add gr0 gr0-sw0 00:00:00:00:fe:01 10.0.0.1/24
ovn-nbctl lrp-add gr0 gr0-public 00:00:00:00:fe:02 172.16.0.2/24
ovn-nbctl lsp-add sw0 sw0-gr0 -- lsp-set-type sw0-gr0 router -- lsp-set-addresses sw0-gr0 router \
  -- lsp-set-options sw0-gr0 router-port=gr0-sw0
ovn-nbctl lsp-add public public-gr0 -- lsp-set-type public-gr0 router -- lsp-set-addresses public-gr0 router \
  -- lsp-set-options public-gr0 router-port=gr0-public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl set logical_router gr0 options:dnat_force_snat_ip=172.16.0.250
ovn-nbctl --stateless lr-nat-add gr0 dnat_and_snat 172.16.0.110 10.0.0.11
ovn-nbctl --portrange lr-nat-add gr0 snat 172.16.0.100 10.0.0.0/24 1000-2000
ovn-nbctl lr-nat-add gr0 dnat 172.16.0.120 10.0.0.12
# Rules ovn-nbctl would refuse, written directly.
as1=$(ovn-nbctl create Address_Set name=ext1 addresses='"172.16.0.50"')
as2=$(ovn-nbctl create Address_Set name=ext2 addresses='"172.16.0.60"')
gwp=$(ovn-nbctl get logical_router_port gr0-public _uuid)
# NAT is not a root table: each row is created in the transaction that adds it to the router.
ovn-nbctl -- --id=@n create NAT type=snat external_ip=172.16.0.0/24 logical_ip=10.0.0.0/24 -- add logical_router gr0 nat @n
ovn-nbctl -- --id=@n create NAT type=dnat external_ip=172.16.0.130 logical_ip=10.0.0.0/24 -- add logical_router gr0 nat @n
ovn-nbctl -- --id=@n create NAT type=dnat_and_snat external_ip=172.16.0.140 logical_ip=10.0.0.12 allowed_ext_ips=$as1 exempted_ext_ips=$as2 -- add logical_router gr0 nat @n
ovn-nbctl -- --id=@n create NAT type=snat external_ip=172.16.0.150 logical_ip=10.0.0.0/25 gateway_port=$gwp -- add logical_router gr0 nat @n
