# desc: two switches with 10 ports each: MAC IP, dual stack, port security, unknown, disabled
for s in 0 1; do
  ovn-nbctl ls-add sw$s
  for p in $(seq 1 10); do
    mac=$(printf '50:54:00:00:%02x:%02x' $s $p)
    ip=10.$s.0.$((10 + p))
    cmd=(lsp-add sw$s sw$s-p$p)
    case $((p % 5)) in
      0) cmd+=(-- lsp-set-addresses sw$s-p$p "$mac $ip" unknown) ;;
      1) cmd+=(-- lsp-set-addresses sw$s-p$p "$mac $ip" -- lsp-set-port-security sw$s-p$p "$mac $ip") ;;
      2) cmd+=(-- lsp-set-addresses sw$s-p$p "$mac $ip fd0$s::$((10 + p))") ;;
      3) cmd+=(-- lsp-set-addresses sw$s-p$p "$mac $ip" -- lsp-set-port-security sw$s-p$p "$mac") ;;
      4) cmd+=(-- lsp-set-addresses sw$s-p$p "$mac $ip" -- lsp-set-enabled sw$s-p$p disabled) ;;
    esac
    ovn-nbctl "${cmd[@]}"
  done
done
