# desc: DNS: two switches sharing one DNS row (IPv4 and IPv6 records, mixed-case values lowered in the SB), a third switch with its own DNS row, a switch listing a DNS row without records (SB row, no lookup flows), an unreferenced DNS row (no SB row)
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl --wait=sb ls-add sw2
ovn-nbctl --wait=sb ls-add sw3
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11"
ovn-nbctl lsp-add sw2 sw2-p1 -- lsp-set-addresses sw2-p1 "50:54:00:00:02:01 10.0.2.11"
ovn-nbctl lsp-add sw3 sw3-p1 -- lsp-set-addresses sw3-p1 "50:54:00:00:03:01 10.0.3.11"
d1=$(ovn-nbctl create DNS records='{"vm1.ovn.org"="10.0.0.11 FD00::11", "VM2.ovn.org"="10.0.1.11", "Mixed.Case.org"="ABC::1"}' external_ids:owner=cms)
d2=$(ovn-nbctl create DNS records='{"vm3.example.org"="10.0.2.11"}')
d3=$(ovn-nbctl create DNS external_ids:empty=true)
ovn-nbctl create DNS records='{"unused.org"="10.9.9.9"}' > /dev/null
ovn-nbctl add logical_switch sw0 dns_records "$d1" -- add logical_switch sw1 dns_records "$d1"
ovn-nbctl add logical_switch sw2 dns_records "$d2" -- add logical_switch sw2 dns_records "$d1"
ovn-nbctl add logical_switch sw3 dns_records "$d3"
