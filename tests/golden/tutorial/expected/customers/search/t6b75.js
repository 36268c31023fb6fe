C360.tokens("6b75",["kumar",10,"kumari",6]);
