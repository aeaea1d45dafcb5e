DB_PASSWORD = 'Zq9!mW3#kT7$'  # pragma: allowlist secret
# pragma: allowlist nextline secret
SIGNING_KEY = 'AKIAGBUKLSOXPMEUVTXK'
other_token = '71a3c3aed8985db14b3602819de6ff94'  // pragma: whitelist secret
