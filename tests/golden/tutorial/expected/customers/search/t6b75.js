C360.tokens("6b75",["kumar",40,"kumari",24]);
