C360.tokens("7369",["singh",56]);
