C360.tokens("616d",["amit",5,"amit123",5]);
