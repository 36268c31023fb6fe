C360.tokens("6d75",["mumbai",36,"mumbai",48]);
