C360.tokens("6465",["deepak",48,"deepak",49,"deepak@gmail.com",50,"delhi",16,"delhi",56]);
