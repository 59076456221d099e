# desc: SB Port_Group rows (per switch) and the derived <pg>_ip4/<pg>_ip6 address sets: groups spanning two switches, on one switch, empty (with an ACL) and without ACLs; members with MAC IPv4, several v4/v6 IPs in non-canonical IPv6 form, MAC only, router-type "router", unknown, dynamic / MAC dynamic (IPAM), port_security without IPs; a port in two groups; NB Address_Sets (no name collision: a colliding name makes the reference's SB transaction fail forever)
# one switch per transaction: tunnel keys (in SB Port_Group names) follow creation order
ovn-nbctl ls-add sw0 -- set logical_switch sw0 other_config:subnet=10.0.0.0/24
ovn-nbctl ls-add sw1
ovn-nbctl ls-add sw2
ovn-nbctl lsp-add sw0 sw0-v4 -- lsp-set-addresses sw0-v4 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-dual -- lsp-set-addresses sw0-dual "50:54:00:00:00:02 10.0.0.13 10.0.0.12 fd00:0:0::5 FD00::0:0:6"
ovn-nbctl lsp-add sw0 sw0-mac -- lsp-set-addresses sw0-mac "50:54:00:00:00:03"
ovn-nbctl lsp-add sw0 sw0-unknown -- lsp-set-addresses sw0-unknown unknown
ovn-nbctl lsp-add sw0 sw0-ps -- lsp-set-addresses sw0-ps "50:54:00:00:00:05" \
  -- lsp-set-port-security sw0-ps "50:54:00:00:00:05 10.0.0.50 fd00::50"
ovn-nbctl lsp-add sw0 sw0-psonly -- lsp-set-port-security sw0-psonly "50:54:00:00:00:06 10.0.0.60"
# IPAM: one dynamic port per transaction, waiting for northd, so the allocation order is fixed
ovn-nbctl --wait=sb lsp-add sw0 sw0-dyn -- lsp-set-addresses sw0-dyn dynamic
ovn-nbctl --wait=sb lsp-add sw0 sw0-macdyn -- lsp-set-addresses sw0-macdyn "50:54:00:00:00:04 dynamic"
ovn-nbctl lsp-add sw1 sw1-v46 -- lsp-set-addresses sw1-v46 "50:54:00:00:01:01 10.0.1.11 fd01:0000::11"
ovn-nbctl lsp-add sw1 sw1-two -- lsp-set-addresses sw1-two "50:54:00:00:01:02 10.0.1.12" "50:54:00:00:01:03 10.0.1.13/24" unknown
ovn-nbctl --wait=sb lsp-add sw1 sw1-nodyn -- lsp-set-addresses sw1-nodyn dynamic
ovn-nbctl lr-add lr0 -- lrp-add lr0 lrp-sw1 00:00:00:00:ff:01 10.0.1.254/24 fd01::fe/64
ovn-nbctl lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router \
  -- lsp-set-options sw1-lr0 router-port=lrp-sw1
ovn-nbctl lsp-add sw2 sw2-v4 -- lsp-set-addresses sw2-v4 "50:54:00:00:02:01 10.0.2.11"
ovn-nbctl lsp-add sw2 sw2-v6 -- lsp-set-addresses sw2-v6 "50:54:00:00:02:02 fd02:0:0:0:0:0:0:a"
# pg_span: sw0 + sw1, includes the router-type port; pg_misc: sw0 + sw1 odd members, sw0-v4 is in both
ovn-nbctl pg-add pg_span sw0-v4 sw0-dual sw1-v46 sw1-lr0
ovn-nbctl pg-add pg_misc sw0-v4 sw0-mac sw0-unknown sw0-ps sw0-psonly sw0-dyn sw0-macdyn sw1-two sw1-nodyn
ovn-nbctl pg-add pg_single sw2-v4 sw2-v6
ovn-nbctl pg-add pg_empty
ovn-nbctl create address_set name=as_user addresses='"10.9.0.1", "10.9.0.0/24"'
ovn-nbctl create address_set name=as_user6 addresses='"fd09:0:0::1", "FD09::2"'
ovn-nbctl --type=port-group acl-add pg_span to-lport 1001 'outport == @pg_span && ip4.src == $pg_span_ip4' allow-related
ovn-nbctl --type=port-group acl-add pg_span to-lport 1001 'outport == @pg_span && ip6.src == $pg_span_ip6' allow-related
ovn-nbctl --type=port-group acl-add pg_span to-lport 1000 'outport == @pg_span && ip' drop
ovn-nbctl --type=port-group acl-add pg_misc from-lport 1002 'inport == @pg_misc && ip4.dst == {$as_user, $pg_single_ip4}' drop
ovn-nbctl --type=port-group acl-add pg_misc from-lport 1002 'inport == @pg_misc && ip6.dst == $as_user6' allow
ovn-nbctl --type=port-group acl-add pg_empty from-lport 1003 'inport == @pg_empty' drop
