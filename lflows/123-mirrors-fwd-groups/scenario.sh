# desc: port mirroring and forwarding groups: NB Mirrors (gre from-lport, erspan to-lport, gre to-lport to a non-canonical IPv6 sink, an unattached erspan one; 23.03 has no filter "both") attached with lsp-attach-mirror (two on one port, one shared by ports of two switches) -> SB Mirror + Port_Binding.mirror_rules, no flows; fwd-group-add --liveness on sw0 (children given out of order) and a plain one on sw2; three groups on sw1 with fixed UUIDs (1, 3 (one missing) and 1 child ports) exposing 23.03's shared loop index and unreset match/actions in build_fwd_group_lflows (second group's ARP flow garbled, third skipped)
ovn-nbctl ls-add sw0
ovn-nbctl ls-add sw1
ovn-nbctl ls-add sw2
for s in 0 1 2; do
  for p in 1 2 3; do
    ovn-nbctl lsp-add sw$s sw$s-p$p -- lsp-set-addresses sw$s-p$p "50:54:00:00:0$s:0$p 10.0.$s.1$p"
  done
done

# mirrors
ovn-nbctl mirror-add mirror-gre gre 100 from-lport 192.168.100.1
ovn-nbctl mirror-add mirror-erspan erspan 2 to-lport 192.168.100.2
ovn-nbctl mirror-add mirror-v6 gre 300 to-lport fd10:0:0::1
ovn-nbctl mirror-add mirror-unused erspan 4 from-lport 192.168.100.4
ovn-nbctl lsp-attach-mirror sw0-p1 mirror-gre
ovn-nbctl lsp-attach-mirror sw0-p1 mirror-erspan
ovn-nbctl lsp-attach-mirror sw0-p2 mirror-gre
ovn-nbctl lsp-attach-mirror sw1-p1 mirror-gre
ovn-nbctl lsp-attach-mirror sw1-p2 mirror-v6

# forwarding groups
ovn-nbctl --liveness fwd-group-add fg1 sw0 10.0.0.100 00:00:00:00:ff:01 sw0-p2 sw0-p1
ovn-nbctl fwd-group-add fg4 sw2 10.0.2.100 00:00:00:00:ff:04 sw2-p1 sw2-p2 sw2-p3
# three groups on one switch, created with fixed UUIDs so that their order (sorted by UUID in
# Logical_Switch.forwarding_groups) is reproducible
ovn-nbctl -- --id=f0f0f0f0-0000-4000-8000-00000000000a create forwarding_group name=fg-a \
    vip=10.0.1.100 vmac='"00:00:00:00:ff:0a"' child_port=sw1-p1 \
  -- --id=f0f0f0f0-0000-4000-8000-00000000000b create forwarding_group name=fg-b \
    vip=10.0.1.101 vmac='"00:00:00:00:ff:0b"' child_port=sw1-p2,sw1-p3,nosuch liveness=true \
  -- --id=f0f0f0f0-0000-4000-8000-00000000000c create forwarding_group name=fg-c \
    vip=10.0.1.102 vmac='"00:00:00:00:ff:0c"' child_port=sw1-p3 \
  -- add logical_switch sw1 forwarding_groups f0f0f0f0-0000-4000-8000-00000000000a \
     f0f0f0f0-0000-4000-8000-00000000000b f0f0f0f0-0000-4000-8000-00000000000c
