C360.tokens("796f",["york",0]);
