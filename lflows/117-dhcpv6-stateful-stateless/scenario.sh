# desc: DHCPv6 stateful (ia_addr offered) and stateless (dhcpv6_stateless=true), dns_server and domain_search, dual-stack ports with both DHCPv4 and DHCPv6, a port with two IPv6 addresses (only the first inside the cidr is offered), a CoPP meter for dhcpv4-opts/dhcpv6-opts
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 fd99::12 fd00::12"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 fd01::11"
d4=$(ovn-nbctl create DHCP_Options cidr=10.0.0.0/24 \
  options='"server_id"="10.0.0.1" "server_mac"="c0:ff:ee:00:00:01" "lease_time"="3600" "router"="10.0.0.1"')
d6=$(ovn-nbctl create DHCP_Options cidr="fd00\:\:/64" \
  options='"server_id"="c0:ff:ee:00:00:02" "dns_server"="{fd00::53, fd00::54}" "domain_search"="\"ovn.org\""')
d6s=$(ovn-nbctl create DHCP_Options cidr="fd01\:\:/64" \
  options='"server_id"="c0:ff:ee:00:00:03" "dhcpv6_stateless"="true" "dns_server"="fd01::53"')
ovn-nbctl lsp-set-dhcpv4-options sw0-p1 "$d4" -- lsp-set-dhcpv6-options sw0-p1 "$d6"
ovn-nbctl lsp-set-dhcpv6-options sw0-p2 "$d6"
ovn-nbctl lsp-set-dhcpv6-options sw1-p1 "$d6s"
ovn-nbctl meter-add m-dhcp drop 10 pktps
ovn-nbctl copp-add copp1 dhcpv6-opts m-dhcp -- copp-add copp1 dhcpv4-opts m-dhcp
ovn-nbctl --wait=sb ls-copp-add copp1 sw1
