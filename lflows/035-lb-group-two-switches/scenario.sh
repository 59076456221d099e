# desc: Load_Balancer_Group (2 LBs) attached to sw0 and sw1 (shared flows in a Logical_DP_Group); sw2 without it
for s in 0 1 2; do
  ovn-nbctl ls-add sw$s
  ovn-nbctl lsp-add sw$s sw$s-p1 -- lsp-set-addresses sw$s-p1 "50:54:00:00:0$s:01 10.0.$s.11"
  ovn-nbctl lsp-add sw$s sw$s-p2 -- lsp-set-addresses sw$s-p2 "50:54:00:00:0$s:02 10.0.$s.12"
done
ovn-nbctl lb-add lb-svc1 172.30.0.10:80 10.0.0.11:8080,10.0.1.11:8080 tcp
ovn-nbctl lb-add lb-svc2 172.30.0.11:53 10.0.0.12:53,10.0.1.12:53 udp
lb1=$(ovn-nbctl --bare --columns=_uuid find load_balancer name=lb-svc1)
lb2=$(ovn-nbctl --bare --columns=_uuid find load_balancer name=lb-svc2)
ovn-nbctl --id=@g create load_balancer_group name=lbg-cluster load_balancer="$lb1,$lb2" \
  -- add logical_switch sw0 load_balancer_group @g -- add logical_switch sw1 load_balancer_group @g
