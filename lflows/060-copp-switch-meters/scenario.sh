# desc: CoPP on switches (controller_meter): sw0's policy meters every switch protocol of 23.03 (reject via ACL and LB reject, event-elb, dns, dhcpv4-opts, dhcpv6-opts, nd-na, svc-monitor) plus router-only ones (arp, icmp4-error, tcp-reset) and an unknown key; sw1 (mcast_snoop) meters igmp and names missing meters for dns and reject; sw2 has the same features without CoPP
ovn-nbctl set NB_Global . options:controller_event=true
for m in reject elb dns dhcp4 dhcp6 ndna svc igmp arp icmp4 tcprst; do ovn-nbctl meter-add m-$m drop 10 pktps; done
ovn-nbctl --fair meter-add m-fair drop 3 pktps
ovn-nbctl copp-add copp0 reject m-reject -- copp-add copp0 event-elb m-elb -- copp-add copp0 dns m-fair \
  -- copp-add copp0 dhcpv4-opts m-dhcp4 -- copp-add copp0 dhcpv6-opts m-dhcp6 -- copp-add copp0 nd-na m-ndna \
  -- copp-add copp0 svc-monitor m-svc -- copp-add copp0 igmp m-igmp \
  -- copp-add copp0 arp m-arp -- copp-add copp0 icmp4-error m-icmp4 -- copp-add copp0 tcp-reset m-tcprst
ovn-nbctl set copp "$(ovn-nbctl --bare --columns=_uuid find copp name=copp0)" meters:bogus=m-dns
ovn-nbctl copp-add copp1 igmp m-igmp -- copp-add copp1 dns m-missing -- copp-add copp1 reject m-missing2 \
  -- copp-add copp1 event-elb m-elb
for s in 0 1 2; do ovn-nbctl ls-add sw$s; done
ovn-nbctl ls-copp-add copp0 sw0 -- ls-copp-add copp1 sw1
ovn-nbctl set logical_switch sw1 other_config:mcast_snoop=true
ovn-nbctl dhcp-options-create 10.0.0.0/24 -- dhcp-options-create fd00::/64
v4=$(ovn-nbctl --bare --columns=_uuid find dhcp_options cidr=10.0.0.0/24)
v6=$(ovn-nbctl --bare --columns=_uuid find dhcp_options cidr='"fd00::/64"')
ovn-nbctl dhcp-options-set-options "$v4" server_id=10.0.0.1 server_mac=c0:ff:ee:00:00:01 lease_time=3600 router=10.0.0.1
ovn-nbctl dhcp-options-set-options "$v6" server_id=c0:ff:ee:00:00:02
for s in 0 1 2; do
  ovn-nbctl lsp-add sw$s sw$s-p1 -- lsp-set-addresses sw$s-p1 "50:54:00:00:0$s:01 10.0.0.11 fd00::11" \
    -- lsp-set-dhcpv4-options sw$s-p1 "$v4" -- lsp-set-dhcpv6-options sw$s-p1 "$v6"
  ovn-nbctl lsp-add sw$s sw$s-p2 -- lsp-set-addresses sw$s-p2 "50:54:00:00:0$s:02 10.0.0.12"
  ovn-nbctl --id=@d create dns "records={\"vm$s.ovn.org\"=\"10.0.0.11\"}" -- add logical_switch sw$s dns_records @d
  ovn-nbctl acl-add sw$s to-lport 1000 "tcp.dst == 23" reject
done
# empty VIPs: event-elb (trigger_event) and an LB with reject=true; fixed UUIDs (they appear in flows)
ovn-nbctl --id=00000000-0000-0000-0000-0000000e1b01 create load_balancer name=lb-elb protocol=tcp 'vips={"10.0.0.100:80"=""}'
ovn-nbctl --id=00000000-0000-0000-0000-0000000e1b02 create load_balancer name=lb-rej protocol=tcp 'vips={"10.0.0.101:80"=""}' options:reject=true
for s in 0 1 2; do ovn-nbctl ls-lb-add sw$s lb-elb -- ls-lb-add sw$s lb-rej; done
