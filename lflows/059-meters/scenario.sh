# desc: SB Meter/Meter_Band rows: pktps and kbps meters, burst size, a two-band meter, fair and non-fair, an unused one; ACLs (fixed UUIDs) logging with a fair meter on a switch, a port group, an empty port group and without log=true (each gets a private SB copy <meter>__<acl uuid>), with non-fair meters, with a meter that does not exist, and --log without meter
ovn-nbctl ls-add sw0
ovn-nbctl ls-add sw1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11"
ovn-nbctl pg-add pg1 sw0-p2 sw1-p1
ovn-nbctl pg-add pg_empty
ovn-nbctl --fair meter-add m-fair drop 5 pktps
ovn-nbctl meter-add m-plain drop 10 pktps
ovn-nbctl meter-add m-kbps drop 1000 kbps 200
ovn-nbctl set meter m-kbps fair=false
ovn-nbctl -- --id=@b1 create meter_band action=drop rate=100 \
  -- --id=@b2 create meter_band action=drop rate=500 burst_size=50 \
  -- create meter name=m-two unit=kbps fair=true bands=@b1,@b2
ovn-nbctl --fair meter-add m-unused drop 7 pktps
# ACLs whose UUID can end up in a flow or a meter name get fixed UUIDs: create + add in one transaction
acl() {  # acl <uuid> <switch|port_group> <name> <column=value>...
  local id=$1 tbl=$2 name=$3; shift 3
  ovn-nbctl --id="$id" create acl "$@" -- add "$tbl" "$name" acls "$id"
}
acl 00000000-0000-0000-0000-00000000a001 logical_switch sw0 direction=from-lport priority=1001 'match="ip4 && udp"' action=allow-related log=true meter=m-fair name=sw-fair severity=warning
acl 00000000-0000-0000-0000-00000000a002 port_group pg1 direction=to-lport priority=1002 'match="outport == @pg1 && tcp"' action=drop log=true meter=m-fair name=pg-fair
acl 00000000-0000-0000-0000-00000000a003 port_group pg_empty direction=to-lport priority=1003 'match="outport == @pg_empty"' action=drop log=true meter=m-fair
acl 00000000-0000-0000-0000-00000000a004 logical_switch sw0 direction=from-lport priority=1004 'match="ip4 && icmp4"' action=allow log=false meter=m-fair
acl 00000000-0000-0000-0000-00000000a005 logical_switch sw0 direction=to-lport priority=1005 'match="ip4.src == 10.0.0.12"' action=reject log=true meter=m-plain severity=alert
acl 00000000-0000-0000-0000-00000000a006 logical_switch sw1 direction=from-lport priority=1006 'match="arp"' action=allow-stateless log=true meter=m-kbps
acl 00000000-0000-0000-0000-00000000a007 port_group pg1 direction=from-lport priority=1007 'match="inport == @pg1 && ip6"' action=allow log=true meter=m-two name=pg-two
acl 00000000-0000-0000-0000-00000000a008 logical_switch sw1 direction=to-lport priority=1008 'match="tcp.dst == 22"' action=drop log=true meter=m-missing
acl 00000000-0000-0000-0000-00000000a009 logical_switch sw1 direction=to-lport priority=1009 'match="tcp.dst == 23"' action=allow-related log=true
acl 00000000-0000-0000-0000-00000000a00a logical_switch sw1 direction=to-lport priority=1010 'match="tcp.dst == 24"' action=allow log=false meter=m-plain
