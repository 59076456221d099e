# desc: distributed router lr0 whose gateway port lr0-public has an HA_Chassis_Group hagrp1 (gw1 20, gw2 10) as its ha_chassis_group, on a localnet public switch; snat of 10.0.0.0/24 to 172.16.0.100 and a centralised dnat_and_snat 172.16.0.110 <-> 10.0.0.11; default route
for c in gw1:10.255.0.1 gw2:10.255.0.2; do
  ovn-sbctl chassis-add ${c%%:*} geneve ${c#*:}
  ovn-sbctl set chassis ${c%%:*} other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
    other_config:port-up-notif=true
done
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add public
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl ha-chassis-group-add hagrp1
ovn-nbctl ha-chassis-group-add-chassis hagrp1 gw1 20
ovn-nbctl ha-chassis-group-add-chassis hagrp1 gw2 10
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
ovn-nbctl lrp-add lr0 lr0-public 00:00:00:00:ff:02 172.16.0.1/24
grp=$(ovn-nbctl --bare --columns=_uuid find ha_chassis_group name=hagrp1)
ovn-nbctl set logical_router_port lr0-public ha_chassis_group=$grp
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add public public-lr0 -- lsp-set-type public-lr0 router -- lsp-set-addresses public-lr0 router \
  -- lsp-set-options public-lr0 router-port=lr0-public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12"
ovn-nbctl lr-route-add lr0 0.0.0.0/0 172.16.0.254
ovn-nbctl lr-nat-add lr0 snat 172.16.0.100 10.0.0.0/24
ovn-nbctl lr-nat-add lr0 dnat_and_snat 172.16.0.110 10.0.0.11
