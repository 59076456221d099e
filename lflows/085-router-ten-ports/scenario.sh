# desc: small scale: distributed router lr0 with 10 ports (10.0.N.1/24) to 10 switches sw0..sw9, each switch with its router-type LSP and one VIF; one switch and one router per transaction
for i in 0 1 2 3 4 5 6 7 8 9; do
  ovn-nbctl --wait=sb ls-add sw$i
done
ovn-nbctl --wait=sb lr-add lr0
for i in 0 1 2 3 4 5 6 7 8 9; do
  ovn-nbctl lrp-add lr0 lr0-sw$i 00:00:00:00:ff:0$i 10.0.$i.1/24
  ovn-nbctl lsp-add sw$i sw$i-lr0 -- lsp-set-type sw$i-lr0 router -- lsp-set-addresses sw$i-lr0 router \
    -- lsp-set-options sw$i-lr0 router-port=lr0-sw$i
  ovn-nbctl lsp-add sw$i sw$i-p1 -- lsp-set-addresses sw$i-p1 "50:54:00:00:0$i:01 10.0.$i.11"
done
