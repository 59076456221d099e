# desc: NAT rules with allowed_ext_ips and exempted_ext_ips: on a gateway router (a dnat_and_snat allowed from one address set, a snat exempting another) and on a distributed gateway port (the same pair)
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
ovn-nbctl lr-nat-add gr0 dnat_and_snat 172.16.0.110 10.0.0.11
ovn-nbctl lr-nat-add gr0 snat 172.16.0.100 10.0.0.0/24
ovn-nbctl create Address_Set name=allowed_ext addresses='"172.16.0.50", "172.16.0.51"' >/dev/null
ovn-nbctl create Address_Set name=exempt_ext addresses='"172.16.0.60"' >/dev/null
as_allowed=$(ovn-nbctl --bare --columns=_uuid find Address_Set name=allowed_ext)
as_exempt=$(ovn-nbctl --bare --columns=_uuid find Address_Set name=exempt_ext)
nat1=$(ovn-nbctl --bare --columns=_uuid find NAT external_ip=172.16.0.110)
nat2=$(ovn-nbctl --bare --columns=_uuid find NAT external_ip=172.16.0.100)
ovn-nbctl set NAT "$nat1" allowed_ext_ips="$as_allowed"
ovn-nbctl set NAT "$nat2" exempted_ext_ips="$as_exempt"
# A distributed router with a distributed gateway port and the same pair of filters.
ovn-sbctl chassis-add gw2 geneve 127.0.0.2
ovn-nbctl ls-add sw1
ovn-nbctl ls-add public1
ovn-nbctl lr-add lr1
ovn-nbctl lrp-add lr1 lr1-sw1 00:00:00:00:fe:11 10.1.0.1/24
ovn-nbctl lrp-add lr1 lr1-public1 00:00:00:00:fe:12 172.17.0.1/24
ovn-nbctl lrp-set-gateway-chassis lr1-public1 gw2 20
ovn-nbctl lsp-add sw1 sw1-lr1 -- lsp-set-type sw1-lr1 router -- lsp-set-addresses sw1-lr1 router \
  -- lsp-set-options sw1-lr1 router-port=lr1-sw1
ovn-nbctl lsp-add public1 public1-lr1 -- lsp-set-type public1-lr1 router -- lsp-set-addresses public1-lr1 router \
  -- lsp-set-options public1-lr1 router-port=lr1-public1
ovn-nbctl lsp-add public1 ln-public1 -- lsp-set-type ln-public1 localnet -- lsp-set-addresses ln-public1 unknown \
  -- lsp-set-options ln-public1 network_name=physnet1
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.1.0.11"
ovn-nbctl lr-nat-add lr1 dnat_and_snat 172.17.0.110 10.1.0.11
ovn-nbctl lr-nat-add lr1 snat 172.17.0.100 10.1.0.0/24
nat3=$(ovn-nbctl --bare --columns=_uuid find NAT external_ip=172.17.0.110)
nat4=$(ovn-nbctl --bare --columns=_uuid find NAT external_ip=172.17.0.100)
ovn-nbctl set NAT "$nat3" allowed_ext_ips="$as_allowed"
ovn-nbctl set NAT "$nat4" exempted_ext_ips="$as_exempt"
