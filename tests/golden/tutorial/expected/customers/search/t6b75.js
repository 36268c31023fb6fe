C360.tokens("6b75",["kumar",4,"kumari",8]);
