# desc: the same LB attached directly to three switches, plus a second LB on one of them
for s in 0 1 2; do
  ovn-nbctl ls-add sw$s
  ovn-nbctl lsp-add sw$s sw$s-p1 -- lsp-set-addresses sw$s-p1 "50:54:00:00:0$s:01 10.0.$s.11"
done
ovn-nbctl lb-add lb-shared 172.30.0.10:80 10.0.0.11:80,10.0.1.11:80,10.0.2.11:80 tcp
ovn-nbctl ls-lb-add sw0 lb-shared -- ls-lb-add sw1 lb-shared -- ls-lb-add sw2 lb-shared
ovn-nbctl lb-add lb-local 10.0.0.100:80 10.0.0.11:80 tcp
ovn-nbctl ls-lb-add sw0 lb-local
