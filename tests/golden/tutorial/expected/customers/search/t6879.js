C360.tokens("6879",["hyderabad",28]);
