C360.tokens("6d75",["mumbai",4,"mumbai",32]);
