C360.tokens("6d75",["mumbai",1,"mumbai",8]);
