C360.tokens("616d",["amit",21,"amit123",20,"amit123@gmail.com",22]);
