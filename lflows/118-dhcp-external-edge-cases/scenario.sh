# desc: DHCP edge cases: an external port with an HA chassis group on a switch with a localnet port (served through the localnet port, is_chassis_resident), an external port without HA group (no flows), a disabled port, an address outside the cidr, options missing server_mac/lease_time (warning), DHCPv6 without server_id (warning), a bad cidr
ovn-sbctl chassis-add hv1 geneve 127.0.0.1
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl lsp-add sw0 ln0 -- lsp-set-type ln0 localnet -- lsp-set-addresses ln0 unknown -- lsp-set-options ln0 network_name=phys
ovn-nbctl ha-chassis-group-add hagrp1 -- ha-chassis-group-add-chassis hagrp1 hv1 30
g=$(ovn-nbctl --bare --columns=_uuid find ha_chassis_group name=hagrp1)
ovn-nbctl lsp-add sw0 ext1 -- lsp-set-addresses ext1 "50:54:00:00:00:21 10.0.0.21" -- lsp-set-type ext1 external \
  -- set logical_switch_port ext1 ha_chassis_group="$g"
ovn-nbctl lsp-add sw0 ext2 -- lsp-set-addresses ext2 "50:54:00:00:00:22 10.0.0.22" -- lsp-set-type ext2 external
ovn-nbctl lsp-add sw0 sw0-off -- lsp-set-addresses sw0-off "50:54:00:00:00:23 10.0.0.23" -- lsp-set-enabled sw0-off disabled
ovn-nbctl lsp-add sw0 sw0-out -- lsp-set-addresses sw0-out "50:54:00:00:00:24 192.168.0.24 10.0.0.24"
ovn-nbctl lsp-add sw0 sw0-missing -- lsp-set-addresses sw0-missing "50:54:00:00:00:25 10.0.0.25 fd00::25"
ovn-nbctl lsp-add sw0 sw0-badcidr -- lsp-set-addresses sw0-badcidr "50:54:00:00:00:26 10.0.0.26"
d=$(ovn-nbctl create DHCP_Options cidr=10.0.0.0/24 \
  options='"server_id"="10.0.0.1" "server_mac"="c0:ff:ee:00:00:01" "lease_time"="3600" "router"="10.0.0.1"')
dmiss=$(ovn-nbctl create DHCP_Options cidr=10.0.0.0/24 options='"server_id"="10.0.0.1" "router"="10.0.0.1"')
d6miss=$(ovn-nbctl create DHCP_Options cidr="fd00\:\:/64" options='"dns_server"="fd00::53"')
dbad=$(ovn-nbctl create DHCP_Options cidr=10.0.0.300/24 \
  options='"server_id"="10.0.0.1" "server_mac"="c0:ff:ee:00:00:01" "lease_time"="3600"')
for p in ext1 ext2 sw0-off sw0-out; do ovn-nbctl lsp-set-dhcpv4-options $p "$d"; done
ovn-nbctl lsp-set-dhcpv4-options sw0-missing "$dmiss" -- lsp-set-dhcpv6-options sw0-missing "$d6miss"
ovn-nbctl lsp-set-dhcpv4-options sw0-badcidr "$dbad"
