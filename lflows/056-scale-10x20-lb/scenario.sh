# desc: scale: 10 switches x 20 ports (MAC IP, half with port security), an LB per switch (2 VIPs) and a cluster-wide LB group (3 VIPs)
cmds=()
for s in $(seq 0 9); do
  cmds+=(-- ls-add sw$s)
  for p in $(seq 1 20); do
    mac=$(printf '0a:00:00:00:%02x:%02x' $s $p); ip=10.$s.0.$((10 + p)); lsp=sw$s-p$p
    cmds+=(-- lsp-add sw$s $lsp -- lsp-set-addresses $lsp "$mac $ip")
    if [ $((p % 2)) -eq 0 ]; then cmds+=(-- lsp-set-port-security $lsp "$mac $ip"); fi
  done
  cmds+=(-- lb-add lb-sw$s 10.$s.255.1:80 10.$s.0.11:8080,10.$s.0.12:8080,10.$s.0.13:8080 tcp)
  cmds+=(-- --may-exist lb-add lb-sw$s 10.$s.255.2:443 10.$s.0.14:8443,10.$s.0.15:8443 tcp)
  cmds+=(-- ls-lb-add sw$s lb-sw$s)
done
ovn-nbctl "${cmds[@]:1}"
ovn-nbctl lb-add lb-cluster-dns 172.30.0.10:53 10.0.0.20:53,10.5.0.20:53 udp
ovn-nbctl --may-exist lb-add lb-cluster-dns 172.30.0.10:5353 10.0.0.20:5353,10.5.0.20:5353 udp
ovn-nbctl lb-add lb-cluster-api 172.30.0.1:443 10.0.0.30:6443,10.1.0.30:6443,10.2.0.30:6443 tcp
lb1=$(ovn-nbctl --bare --columns=_uuid find load_balancer name=lb-cluster-dns)
lb2=$(ovn-nbctl --bare --columns=_uuid find load_balancer name=lb-cluster-api)
g=$(ovn-nbctl create load_balancer_group name=lbg-cluster load_balancer="$lb1,$lb2")
for s in $(seq 0 9); do ovn-nbctl add logical_switch sw$s load_balancer_group $g; done
