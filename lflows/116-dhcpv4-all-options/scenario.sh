# desc: DHCPv4 with every option type of the SB catalog (ipv4, ipv4 lists, bool, uint8/16/32, str, host_id, domains, static_routes), a router on the switch, LSP options:hostname overriding the DHCP_Options hostname, two ports sharing one DHCP_Options row, a dynamic-address port
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl set logical_switch sw0 other_config:subnet=10.0.0.0/24 other_config:exclude_ips=10.0.0.1..10.0.0.20
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.31"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.32" \
  -- lsp-set-options sw0-p2 hostname=vm-two
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 dynamic"
d=$(ovn-nbctl create DHCP_Options cidr=10.0.0.0/24 \
  options='"server_id"="10.0.0.1" "server_mac"="c0:ff:ee:00:00:01" "lease_time"="3600" "router"="10.0.0.1" "dns_server"="{8.8.8.8, 8.8.4.4}" "log_server"="10.0.0.5" "lpr_server"="10.0.0.6" "hostname"="\"default-host\"" "domain_name"="\"ovn.org\"" "swap_server"="10.0.0.7" "ip_forward_enable"="1" "policy_filter"="{10.0.0.0/255.255.255.0}" "default_ttl"="64" "mtu"="1442" "broadcast_address"="10.0.0.255" "router_discovery"="0" "router_solicitation"="10.0.0.1" "arp_cache_timeout"="300" "ethernet_encap"="0" "tcp_ttl"="64" "tcp_keepalive_interval"="7200" "nis_server"="10.0.0.8" "ntp_server"="{10.0.0.9, 10.0.0.10}" "netbios_name_server"="10.0.0.11" "netbios_node_type"="2" "T1"="1800" "T2"="3150" "tftp_server"="\"tftp.ovn.org\"" "bootfile_name"="\"pxelinux.0\"" "domain_search_list"="\"ovn.org,example.org\"" "classless_static_route"="{30.0.0.0/24,10.0.0.10, 0.0.0.0/0,10.0.0.1}" "tftp_server_address"="10.0.0.12" "path_prefix"="\"/tftpboot\"" "ms_classless_static_route"="{30.0.0.0/24,10.0.0.10, 0.0.0.0/0,10.0.0.1}" "wpad"="\"http://wpad.ovn.org/wpad.dat\"" "next_server"="10.0.0.13" "bootfile_name_alt"="\"ipxe.efi\""')
ovn-nbctl lsp-set-dhcpv4-options sw0-p1 "$d"
ovn-nbctl lsp-set-dhcpv4-options sw0-p2 "$d"
ovn-nbctl lsp-set-dhcpv4-options sw0-p3 "$d"
